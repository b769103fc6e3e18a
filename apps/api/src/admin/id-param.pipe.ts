import { Injectable, type PipeTransform } from '@nestjs/common';
import { NotFoundError } from '@malipo/common';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids are UUIDs; anything else names no resource, so it is a 404 rather than a database error. */
@Injectable()
export class IdParamPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!UUID.test(value)) throw new NotFoundError('Not found');
    return value.toLowerCase();
  }
}
