/**
 * The shapes services exchange on internal calls, kept apart from any HTTP client so that a
 * provider compiles against them without depending on its callers' client. Each service's own
 * DTOs must produce (or accept) exactly these; the pacts in ../pacts check that on the wire.
 */
export type UserRole = 'customer' | 'admin';

export interface UserDto {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
  phone?: string | null;
  role: UserRole;
  createdAt: string;
  updatedAt: string;
}

export interface TokenValidation {
  user: UserDto;
  /** When the token stops being valid (ISO 8601): callers never cache a validation past it. */
  expiresAt?: string;
}

export interface CategoryDto {
  id: string;
  name: string;
  description?: string | null;
}

export interface ProductDto {
  id: string;
  name: string;
  description?: string | null;
  /** Exact decimal with two places, e.g. 999.99. */
  price: number;
  categoryId: string;
  stock: number;
  tags: string[];
  isActive: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface ReservationLineInput {
  productId: string;
  quantity: number;
}

export type ReservationStatus = 'reserved' | 'confirmed' | 'released' | 'expired';

export interface ReservationLineDto {
  productId: string;
  name: string;
  quantity: number;
  /** The unit price the reservation was made at (exact, two decimals). */
  unitPrice: number;
}

export interface ReservationDto {
  orderId: string;
  status: ReservationStatus;
  items: ReservationLineDto[];
  expiresAt: string;
  createdAt: string;
  updatedAt: string;
}

/** A page of reservations still holding stock (reconciliation). */
export interface HeldReservationsPage {
  reservations: Array<{ orderId: string; status: ReservationStatus; createdAt: string }>;
  /** Pass back as `cursor` for the next page; null on the last one. */
  nextCursor: string | null;
}

export type NotificationType = 'email' | 'sms' | 'push';
export type NotificationStatus = 'queued' | 'sent' | 'failed';

/**
 * Where to deliver, when the caller already knows it (the Order service has it from the token
 * check): the Notification service then sends without asking the User service.
 */
export interface NotificationRecipient {
  email: string;
  name?: string;
}

export interface CreateNotificationInput {
  userId: string;
  title: string;
  description: string;
  notificationType: NotificationType;
  metadata?: Record<string, unknown>;
  /** A repeat with the same key returns the first notification instead of sending again. */
  dedupeKey?: string;
  /** For email: the address and name to use instead of looking the user up. */
  recipient?: NotificationRecipient;
}

export interface NotificationDto extends CreateNotificationInput {
  id: string;
  status: NotificationStatus;
  attempts: number;
  lastError?: string | null;
  sentAt?: string | null;
  readAt?: string | null;
  createdAt: string;
  updatedAt: string;
}

/** One notification of a batch: stored and queued now, already there (its dedupeKey), or refused. */
export type NotificationBatchResult =
  { status: 'created' | 'existing'; notification: NotificationDto } | { status: 'rejected'; code: string; error: string };
