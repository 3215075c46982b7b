import { Param, PipeTransform } from '@nestjs/common';
import { ApiParam } from '@nestjs/swagger';
import { isMongoId, isUUID } from 'class-validator';
import { ValidationError } from '@shop/errors';

/** What an id in a path looks like: the check, how a refusal says it, how the document shows it. */
export interface IdFormat {
  test(value: string): boolean;
  /** The refusal's detail, after the parameter's name: `must be a UUID`. */
  rule: string;
  /** The refusal's code; VALIDATION_FAILED when absent. */
  code?: string;
  /** How the OpenAPI document shows the parameter (its schema is a string of this format or pattern). */
  docs: { schema: { format?: string; pattern?: string }; example?: string; description?: string };
}

/** A PostgreSQL `uuid` primary key (any RFC 4122 version). */
export const UUID_ID: IdFormat = {
  test: (value) => isUUID(value, 'all'),
  rule: 'must be a UUID',
  code: 'INVALID_ID',
  docs: { schema: { format: 'uuid' } },
};

/** A MongoDB ObjectId: 24 hexadecimal characters. */
export const mongoId = (noun: string, example: string): IdFormat => ({
  test: (value) => isMongoId(value),
  rule: `must be a ${noun} (24 hexadecimal characters)`,
  docs: { schema: { pattern: '^[0-9a-fA-F]{24}$' }, example, description: `The ${noun}` },
});

class IdPipe implements PipeTransform<unknown, string> {
  constructor(
    private readonly name: string,
    private readonly format: IdFormat,
  ) {}

  transform(value: unknown): string {
    if (typeof value === 'string' && this.format.test(value)) return value;
    throw new ValidationError(`The ${this.name} in the path ${this.format.rule}`, {
      code: this.format.code,
      details: [{ path: `params.${this.name}`, message: `${this.name} ${this.format.rule}` }],
    });
  }
}

/**
 * A path parameter that must be an id of `format`: anything else is a 400 before the handler (and
 * the database) is asked. It also documents the parameter, so a route states its id once.
 */
export const IdParam =
  (name: string, format: IdFormat): ParameterDecorator =>
  (target, key, index) => {
    Param(name, new IdPipe(name, format))(target, key, index);
    const method = key === undefined ? undefined : Object.getOwnPropertyDescriptor(target, key);
    if (method)
      ApiParam({ name, ...format.docs, schema: { type: 'string', ...format.docs.schema } })(target, key as string | symbol, method);
  };
