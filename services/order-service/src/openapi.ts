import { OpenAPIRegistry, OpenApiGeneratorV3, ResponseConfig, RouteConfig } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { bearerAuthScheme, errorEnvelopeSchema } from '@shop/express-kit';
import { finishOpenApiDocument, operationsOpenApiPaths } from '@shop/http-kit';
import { cartEnvelopeSchema, cartProductParamsSchema, cartRequestSchemas } from './cart/cart.schemas';
import {
  idempotencyKeySchema,
  orderEnvelopeSchema,
  orderIdParamsSchema,
  OrderLimits,
  orderListEnvelopeSchema,
  orderListQuerySchema,
  orderReadEnvelopeSchema,
  orderRequestSchemas,
  updateOrderStatusBodySchema,
} from './orders/order.schemas';

const json = (schema: z.ZodType) => ({ 'application/json': { schema } });
const error = (description: string): ResponseConfig => ({ description, content: json(errorEnvelopeSchema) });

/** Answers every authenticated route can give, besides its own. */
const commonErrors = {
  400: error('Invalid request (VALIDATION_FAILED, with details)'),
  401: error('Missing or invalid bearer token (TOKEN_REQUIRED, INVALID_TOKEN)'),
  503: error('A service this one depends on (named in the message) is down or its circuit is open'),
  504: error('A service this one depends on (named in the message) did not answer in time'),
};

const idempotencyHeader = z.object({ 'idempotency-key': idempotencyKeySchema.optional() });

/** The OpenAPI document, generated from the same zod schemas the routes validate with. */
export function buildOpenApiDocument(limits: OrderLimits): ReturnType<OpenApiGeneratorV3['generateDocument']> {
  const document = generate(limits);
  Object.assign(
    document.paths ?? {},
    operationsOpenApiPaths({ required: ['postgres'], reported: ['user-service', 'product-service', 'notification-service'] }),
  );
  return finishOpenApiDocument(document);
}

function generate(limits: OrderLimits): ReturnType<OpenApiGeneratorV3['generateDocument']> {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'bearerAuth', bearerAuthScheme('A token from POST /api/users/login of the User service'));
  const orders = orderRequestSchemas(limits);
  const cart = cartRequestSchemas(limits);
  // Every body these routes take is required: the validation refuses a request without one.
  const path = (route: RouteConfig) =>
    registry.registerPath({
      security: [{ bearerAuth: [] }],
      ...route,
      request: route.request?.body ? { ...route.request, body: { required: true, ...route.request.body } } : route.request,
      responses: { ...commonErrors, ...route.responses },
    });

  path({
    method: 'post',
    path: '/api/orders',
    operationId: 'placeOrder',
    tags: ['Orders'],
    summary: 'Place an order',
    description:
      'Reserves the stock in the Product service, prices the items from it (never from the client) and confirms. ' +
      'A confirmation email is queued. With an Idempotency-Key, repeats (even concurrent ones) return the same order.',
    request: { headers: idempotencyHeader, body: { content: json(orders.createOrder) } },
    responses: {
      201: { description: 'Order placed (status confirmed)', content: json(orderEnvelopeSchema) },
      200: {
        description: 'Already placed with this Idempotency-Key: the same order (header Idempotent-Replayed: true)',
        content: json(orderEnvelopeSchema),
      },
      404: error('Unknown or inactive products, named (PRODUCT_NOT_FOUND); nothing was reserved'),
      409: error(
        'Not enough stock, the product named (INSUFFICIENT_STOCK); the order was cancelled while being placed (ORDER_CANCELLED); or the same Idempotency-Key still in progress',
      ),
      422: error('Idempotency-Key already used for a different order (IDEMPOTENCY_KEY_REUSED)'),
    },
  });
  path({
    method: 'get',
    path: '/api/orders',
    operationId: 'listOrders',
    tags: ['Orders'],
    summary: "The caller's orders, newest first",
    description:
      'Items carry the current product data (one batch call). If the Product service is unavailable: `product: null` and `data.partial: true`.',
    request: { query: orderListQuerySchema },
    responses: {
      200: { description: 'One page of orders', content: json(orderListEnvelopeSchema) },
      400: error('A page, limit or cursor that is not valid (VALIDATION_FAILED, INVALID_CURSOR)'),
    },
  });
  path({
    method: 'get',
    path: '/api/orders/{id}',
    operationId: 'getOrder',
    tags: ['Orders'],
    summary: 'One order (its owner or an admin)',
    request: { params: orderIdParamsSchema },
    responses: {
      200: { description: 'The order; `data.partial: true` when product data could not be read', content: json(orderReadEnvelopeSchema) },
      404: error('No such order, or not yours (ORDER_NOT_FOUND)'),
    },
  });
  path({
    method: 'post',
    path: '/api/orders/{id}/cancel',
    operationId: 'cancelOrder',
    tags: ['Orders'],
    summary: 'Cancel a pending or confirmed order (its owner or an admin)',
    description:
      'Gives the stock back to the Product service first; if that fails (503/504) nothing changed. A cancellation email is queued.',
    request: { params: orderIdParamsSchema },
    responses: {
      200: { description: 'Cancelled', content: json(orderEnvelopeSchema) },
      404: error('No such order, or not yours (ORDER_NOT_FOUND)'),
      409: error('Already cancelled, shipped or delivered (ORDER_STATUS_CONFLICT)'),
    },
  });
  path({
    method: 'patch',
    path: '/api/orders/{id}/status',
    operationId: 'updateOrderStatus',
    tags: ['Orders'],
    summary: 'Move an order along its lifecycle (admin)',
    description: 'pending → confirmed → shipped → delivered; cancelled from pending or confirmed (releases the stock, as cancel does).',
    request: { params: orderIdParamsSchema, body: { content: json(updateOrderStatusBodySchema) } },
    responses: {
      200: { description: 'Status changed', content: json(orderEnvelopeSchema) },
      403: error('Not an admin (FORBIDDEN)'),
      404: error('No such order (ORDER_NOT_FOUND)'),
      409: error('Not allowed from the current status (INVALID_STATUS_TRANSITION)'),
    },
  });

  const cartResponse = (description: string) => ({ 200: { description, content: json(cartEnvelopeSchema) } });
  path({
    method: 'get',
    path: '/api/cart',
    operationId: 'getCart',
    tags: ['Cart'],
    summary: "The caller's cart with current product data and subtotal",
    description: 'If the Product service is unavailable: `product: null`, `subtotal: null` and `data.partial: true`.',
    responses: cartResponse('The cart'),
  });
  path({
    method: 'post',
    path: '/api/cart/items',
    operationId: 'addCartItem',
    tags: ['Cart'],
    summary: 'Add units of a product',
    request: { body: { content: json(cart.addItem) } },
    responses: {
      ...cartResponse('The cart after the change'),
      404: error('Unknown or inactive product (PRODUCT_NOT_FOUND)'),
      422: error(`Cart already holds ${limits.maxLines} different products (CART_FULL)`),
    },
  });
  path({
    method: 'patch',
    path: '/api/cart/items/{productId}',
    operationId: 'setCartItemQuantity',
    tags: ['Cart'],
    summary: 'Set the quantity of a product in the cart',
    request: { params: cartProductParamsSchema, body: { content: json(cart.setQuantity) } },
    responses: { ...cartResponse('The cart after the change'), 404: error('Not in the cart (CART_ITEM_NOT_FOUND)') },
  });
  path({
    method: 'delete',
    path: '/api/cart/items/{productId}',
    operationId: 'removeCartItem',
    tags: ['Cart'],
    summary: 'Remove a product from the cart',
    request: { params: cartProductParamsSchema },
    responses: { ...cartResponse('The cart after the change'), 404: error('Not in the cart (CART_ITEM_NOT_FOUND)') },
  });
  path({
    method: 'delete',
    path: '/api/cart',
    operationId: 'emptyCart',
    tags: ['Cart'],
    summary: 'Empty the cart',
    responses: cartResponse('The empty cart'),
  });
  path({
    method: 'post',
    path: '/api/cart/checkout',
    operationId: 'checkout',
    tags: ['Cart'],
    summary: 'Order what the cart holds',
    description:
      'Places the order exactly like POST /api/orders; the ordered lines leave the cart in the commit that places the order, so an error means nothing was placed. A repeat with the Idempotency-Key of a placed checkout returns that order and leaves the cart as it is now.',
    request: { headers: idempotencyHeader, body: { content: json(cart.checkout) } },
    responses: {
      201: { description: 'Order placed; the cart is emptied', content: json(orderEnvelopeSchema) },
      200: {
        description: 'Already placed with this Idempotency-Key: the same order, the cart untouched',
        content: json(orderEnvelopeSchema),
      },
      404: error('A product in the cart no longer exists (PRODUCT_NOT_FOUND); the cart is kept'),
      409: error(
        'Not enough stock, the product named (INSUFFICIENT_STOCK), the order was cancelled while being placed (ORDER_CANCELLED), or the cart changed before the order committed: another checkout of it, or an edit (CART_CHANGED); nothing was placed and the cart is kept as it is now',
      ),
      422: error('The cart is empty (CART_EMPTY), or the Idempotency-Key was used for a different order'),
    },
  });

  return new OpenApiGeneratorV3(registry.definitions).generateDocument({
    openapi: '3.0.3',
    info: {
      title: 'Order service',
      version: '1.0.0',
      description:
        'Orders and carts of the shop. Every answer is an envelope: `{ success: true, message?, data }` or ' +
        '`{ success: false, error, code, details?, requestId }`. Money is exact, with two decimals.',
    },
    servers: [{ url: '/' }],
  });
}
