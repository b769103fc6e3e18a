import { Body, Controller, Get, Header, HttpCode, Inject, Param, Post, Put } from '@nestjs/common';
import { DarajaSim } from './daraja-sim';
import type { HandPaymentResult } from './sim-c2b';
import { C2bValidationDto, HandPaymentDto, InitiatorDto } from './sim-results-admin.dto';

/** Admin controls for the result-based APIs and C2B; never on Daraja's paths. */
@Controller('sim')
export class SimResultsAdminController {
  constructor(@Inject(DarajaSim) private readonly sim: DarajaSim) {}

  /** The simulator's "M-Pesa public certificate": paste it into a channel as Safaricom's. */
  @Get('certificate')
  @Header('content-type', 'application/x-pem-file')
  certificate(): string {
    return this.sim.results.keys.certificatePem();
  }

  @Get('initiators')
  initiators(): unknown {
    return this.sim.results.initiators.list();
  }

  @Post('initiators')
  addInitiator(@Body() dto: InitiatorDto): { ok: true } {
    this.sim.results.initiators.add({
      name: dto.name,
      password: dto.password,
      roles: dto.roles ?? ['status', 'reversal', 'balance'],
      delivery: dto.delivery ?? 'once',
    });
    return { ok: true };
  }

  /** Every result, queue timeout and C2B validation/confirmation the simulator posted. */
  @Get('results')
  results(): unknown {
    return this.sim.poster.deliveries();
  }

  @Put('c2b/:shortcode/validation')
  setValidation(
    @Param('shortcode') shortcode: string,
    @Body() dto: C2bValidationDto,
  ): { ok: true } {
    this.sim.c2b.setValidation(shortcode, dto.enabled);
    return { ok: true };
  }

  @Get('c2b/:shortcode')
  registration(@Param('shortcode') shortcode: string): unknown {
    return this.sim.c2b.registration(shortcode) ?? { registered: false };
  }

  /** The customer pays the till or paybill from the phone menu, without a prompt. */
  @Post('c2b/pay')
  @HttpCode(200)
  pay(@Body() dto: HandPaymentDto): Promise<HandPaymentResult> {
    return this.sim.c2b.pay(dto);
  }
}
