import { ServiceUnavailableError } from './app-error';
import {
  isForeignKeyViolation,
  isMongoDuplicateKey,
  isLockNotAvailable,
  isRefusedStatement,
  isUniqueViolation,
  postgresRefusal,
  storageUnavailable,
} from './storage-errors';

const ORDERS = { name: 'order database', engine: 'PostgreSQL' } as const;

const withCode = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('storageUnavailable', () => {
  it.each([
    ['a refused connection', withCode('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432')],
    ['a connection the server dropped', new Error('Connection terminated unexpectedly')],
    ['a pool timeout', new Error('timeout exceeded when trying to connect')],
    ['a terminated backend (57P01)', withCode('57P01', 'terminating connection due to administrator command')],
    ['a server starting up (57P03)', withCode('57P03', 'the database system is starting up')],
    ['a connection exception (08006)', withCode('08006')],
    ['TypeORM wrapping the driver error', Object.assign(new Error('Query failed'), { driverError: withCode('57P01') })],
    ['a cause chain', new Error('outer', { cause: withCode('ECONNRESET') })],
    ['MongoServerSelectionError', Object.assign(new Error('Server selection timed out'), { name: 'MongoServerSelectionError' })],
    ['MongoNetworkError', Object.assign(new Error('connection closed'), { name: 'MongoNetworkError' })],
    [
      'FerretDB while its PostgreSQL starts',
      Object.assign(new Error('the database system is not yet accepting connections'), { name: 'MongoServerError', code: 1 }),
    ],
    [
      'a bulk write cut by a lost connection',
      Object.assign(new Error('connection 3 closed'), {
        name: 'MongoBulkWriteError',
        writeErrors: [],
        errorResponse: Object.assign(new Error('connection 3 closed'), { name: 'MongoNetworkError' }),
      }),
    ],
    ['mongoose buffering', new Error('Operation `notifications.find()` buffering timed out after 10000ms')],
    ...[
      'MongoClientClosedError',
      'MongoPoolClosedError',
      'MongoExpiredSessionError',
      'MongoNotConnectedError',
      'MongoTopologyClosedError',
    ].map(
      (name) =>
        [`${name} (the watchdog closed the client under an operation)`, Object.assign(new Error('closed'), { name })] as [string, Error],
    ),
    ['mongoose after a forced close', Object.assign(new Error('Connection was force closed'), { name: 'MongooseError' })],
  ])('turns %s into 503 DATABASE_UNAVAILABLE naming the database', (_what, err) => {
    const mapped = storageUnavailable(err, ORDERS);
    expect(mapped).toMatchObject({ status: 503, code: 'DATABASE_UNAVAILABLE', message: 'The order database (PostgreSQL) is unavailable' });
    expect(mapped?.headers).toMatchObject({ 'Retry-After': expect.any(String) });
  });

  it.each([
    ['a unique violation', withCode('23505', 'duplicate key value violates unique constraint')],
    ['a syntax error (our bug)', withCode('42601', 'syntax error at or near')],
    ['a mongo duplicate key', Object.assign(new Error('E11000'), { name: 'MongoServerError', code: 11000 })],
    ['a plain bug', new TypeError('Cannot read properties of undefined')],
    ['not an error at all', 'a string'],
    [
      'an AppError about a called service, whose cause is a refused connection',
      new ServiceUnavailableError('User service', undefined, { cause: withCode('ECONNREFUSED') }),
    ],
  ])('leaves %s alone', (_what, err) => {
    expect(storageUnavailable(err, ORDERS)).toBeUndefined();
  });
});

describe('PostgreSQL refusals', () => {
  const typeorm = (code: string, constraint?: string) =>
    Object.assign(new Error('Query failed'), { driverError: Object.assign(withCode(code), { constraint, detail: '{"x":1}' }) });

  it('names the constraint a statement broke', () => {
    expect(isUniqueViolation(typeorm('23505', 'uq_a'))).toBe(true);
    expect(isUniqueViolation(typeorm('23505', 'uq_a'), 'uq_a')).toBe(true);
    expect(isUniqueViolation(typeorm('23505', 'uq_a'), 'uq_b')).toBe(false);
    expect(isForeignKeyViolation(typeorm('23503', 'fk_a'), 'fk_a')).toBe(true);
    expect(isLockNotAvailable(typeorm('55P03'))).toBe(true);
    expect(postgresRefusal(typeorm('SR001'))).toEqual({ code: 'SR001', constraint: undefined, detail: '{"x":1}' });
  });

  it('tells a refused statement (rolled back) from a lost connection (maybe committed)', () => {
    expect(isRefusedStatement(typeorm('23505'))).toBe(true);
    expect(isRefusedStatement(Object.assign(withCode('40001'), { name: 'DatabaseError' }))).toBe(true);
    expect(isRefusedStatement(typeorm('08006'))).toBe(false);
    expect(isRefusedStatement(new Error('Connection terminated unexpectedly'))).toBe(false);
    // A socket error's code is not a SQLSTATE, however it is spelt.
    expect(isRefusedStatement(withCode('EPIPE'))).toBe(false);
  });

  it("reads MongoDB's duplicate key (a unique index refused the write) and nothing else", () => {
    expect(isMongoDuplicateKey(Object.assign(new Error('E11000 duplicate key error'), { code: 11000 }))).toBe(true);
    expect(isMongoDuplicateKey(withCode('11000'))).toBe(false);
    expect(isMongoDuplicateKey(typeorm('23505'))).toBe(false);
    expect(isMongoDuplicateKey(undefined)).toBe(false);
  });
});
