import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';

/** The api's OpenAPI document (also the source of the console's generated client types). */
export function openApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Malipo')
    .setDescription('M-Pesa STK Push payments for point-of-sale systems')
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'API key' })
    .build();
  return SwaggerModule.createDocument(app, config);
}

/** OpenAPI document at /docs (UI) and /docs/json. */
export function setupOpenApi(app: INestApplication): void {
  SwaggerModule.setup('docs', app, openApiDocument(app), { jsonDocumentUrl: 'docs/json' });
}
