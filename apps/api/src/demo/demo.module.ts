import { Module } from '@nestjs/common';
import { TenancyModule } from '@malipo/db';
import { DemoSeeder } from './demo-seeder';

@Module({ imports: [TenancyModule], providers: [DemoSeeder] })
export class DemoModule {}
