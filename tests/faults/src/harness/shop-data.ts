import { uniqueName } from '@shop/test-kit';
import type { Customer } from '../load/order-load';
import type { FaultStack } from './fault-stack';

function dataOf<T>(what: string, res: { status: number; data: unknown }, status: number): T {
  if (res.status !== status) throw new Error(`${what} answered ${res.status}: ${JSON.stringify(res.data)}`);
  return (res.data as { data: T }).data;
}

export async function registerCustomers(stack: FaultStack, count: number): Promise<Customer[]> {
  const customers: Customer[] = [];
  for (let i = 0; i < count; i++) {
    const body = { firstName: 'Load', lastName: `Customer${i}`, email: `${uniqueName('load')}@faults.test`, password: 'faults-password-1' };
    const data = dataOf<{ user: { id: string }; token: string }>(
      'registering a customer',
      await stack.api('user').post('/api/users/register', body),
      201,
    );
    customers.push({ id: data.user.id, auth: { Authorization: `Bearer ${data.token}` } });
  }
  return customers;
}

/** Creates `count` products with `stock` each (internal key), records their initial stock, returns their ids. */
export async function createProducts(
  stack: FaultStack,
  count: number,
  stock: number,
  initialStock: Map<string, number>,
): Promise<string[]> {
  const headers = stack.internalHeaders;
  const category = dataOf<{ category: { id: string } }>(
    'creating a category',
    await stack.api('product').post('/api/categories', { name: uniqueName('faults') }, { headers }),
    201,
  ).category;
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const body = { name: uniqueName('product'), price: 10 + i, stock, categoryId: category.id, isActive: true };
    const product = dataOf<{ product: { id: string } }>(
      'creating a product',
      await stack.api('product').post('/api/products', body, { headers }),
      201,
    ).product;
    initialStock.set(product.id, stock);
    ids.push(product.id);
  }
  return ids;
}
