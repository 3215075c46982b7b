import { MongooseModuleOptions } from '@nestjs/mongoose';
import { MONGO_CONNECTION_OPTIONS } from '@shop/config';

/**
 * The app's own connection (closed with the app), never mongoose's global one. A database still
 * starting is waited for briefly; one that stays down fails the start.
 */
export const mongooseOptions = (): MongooseModuleOptions => ({ ...MONGO_CONNECTION_OPTIONS, retryAttempts: 3, retryDelay: 1000 });
