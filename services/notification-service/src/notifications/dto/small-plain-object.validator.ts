import { registerDecorator, ValidationOptions } from 'class-validator';

export interface SmallPlainObjectLimits {
  /** Size of the object as JSON, in bytes. */
  maxBytes: number;
  /** Levels of nested objects/arrays below the top one. */
  maxDepth: number;
}

/**
 * Why the value is not a small plain JSON object, or undefined when it is. Keys starting with
 * `$` or containing `.` are refused: MongoDB reads them as operators and paths (and BSON keys cannot hold NUL). An array directly
 * inside an array is refused too: FerretDB cannot store nested arrays (it answered with a 500).
 */
export function smallPlainObjectProblem(value: unknown, limits: SmallPlainObjectLimits): string | undefined {
  if (!isPlainObject(value)) return 'must be a JSON object';
  if (Buffer.byteLength(JSON.stringify(value), 'utf8') > limits.maxBytes) return `must be at most ${limits.maxBytes} bytes as JSON`;
  return keysProblem(value, limits.maxDepth);
}

function keysProblem(value: unknown, depthLeft: number): string | undefined {
  const children = Array.isArray(value) ? value : isPlainObject(value) ? Object.values(value) : undefined;
  if (children === undefined) return undefined;
  if (depthLeft < 0) return 'is nested too deeply';
  if (isPlainObject(value)) {
    const bad = Object.keys(value).find((k) => k.startsWith('$') || k.includes('.') || k.includes('\0'));
    if (bad !== undefined) return `has a key MongoDB cannot store as data (${JSON.stringify(bad)}: no leading "$", no "." and no NUL)`;
  }
  if (Array.isArray(value) && value.some(Array.isArray)) return 'has an array directly inside an array, which cannot be stored';
  for (const child of children) {
    const problem = keysProblem(child, depthLeft - 1);
    if (problem) return problem;
  }
  return undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

export function IsSmallPlainObject(limits: SmallPlainObjectLimits, options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) => {
    registerDecorator({
      name: 'isSmallPlainObject',
      target: target.constructor,
      propertyName: propertyName as string,
      options,
      validator: {
        validate: (value: unknown) => smallPlainObjectProblem(value, limits) === undefined,
        defaultMessage: (args) => `${args?.property} ${smallPlainObjectProblem(args?.value, limits) ?? 'is invalid'}`,
      },
    });
  };
}
