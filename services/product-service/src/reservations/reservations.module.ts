import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ProductsModule } from '../products/products.module';
import { ReservationItemEntity } from './reservation-item.entity';
import { ReservationsController } from './reservations.controller';
import { ReservationEntity } from './reservation.entity';
import { ReservationRepository } from './reservation.repository';
import { ReservationsService } from './reservations.service';
import { ReservationSweeper } from './reservation.sweeper';

@Module({
  imports: [TypeOrmModule.forFeature([ReservationEntity, ReservationItemEntity]), ProductsModule],
  controllers: [ReservationsController],
  providers: [ReservationsService, ReservationRepository, ReservationSweeper],
})
export class ReservationsModule {}
