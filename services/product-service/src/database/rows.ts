import { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';

/**
 * Builds an entity from a raw row (`UPDATE ... RETURNING *`), with the same column mapping and
 * transformers (money, dates) as TypeORM's own reads.
 */
export function hydrate<T extends ObjectLiteral>(manager: EntityManager, target: EntityTarget<T>, row: Record<string, unknown>): T {
  const metadata = manager.connection.getMetadata(target);
  const driver = manager.connection.driver;
  const entity = metadata.create() as T;
  for (const column of metadata.columns) {
    if (column.databaseName in row) column.setEntityValue(entity, driver.prepareHydratedValue(row[column.databaseName], column));
  }
  return entity;
}

/** The entity of the first returned row, if any (a statement that touched one row or none). */
export function hydrateFirst<T extends ObjectLiteral>(
  manager: EntityManager,
  target: EntityTarget<T>,
  rows: Record<string, unknown>[],
): T | undefined {
  return rows[0] ? hydrate(manager, target, rows[0]) : undefined;
}

/** The fields of a partial update that were actually given (undefined means "leave as is"). */
export function givenFields<T extends object>(changes: T): Partial<T> {
  return Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined)) as Partial<T>;
}
