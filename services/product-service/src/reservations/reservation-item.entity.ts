import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { moneyColumn } from '../common/money';
import type { ReservationEntity } from './reservation.entity';

/** One line of a reservation: what was taken, and at what price, so release gives back exactly that. */
@Entity({ name: 'reservation_items' })
export class ReservationItemEntity {
  @PrimaryColumn({ name: 'order_id', type: 'uuid' })
  orderId: string;

  @PrimaryColumn({ name: 'product_id', type: 'uuid' })
  productId: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'integer' })
  quantity: number;

  @Column({ name: 'unit_price', type: 'numeric', precision: 12, scale: 2, transformer: moneyColumn })
  unitPrice: number;

  @ManyToOne('ReservationEntity', (reservation: ReservationEntity) => reservation.items, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'order_id' })
  reservation?: ReservationEntity;
}
