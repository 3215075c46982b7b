import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ProductsModule } from '../products/products.module';
import { ReservationItemEntity } from './reservation-item.entity';
import { ReservationController } from './reservation.controller';
import { ReservationEntity } from './reservation.entity';
import { ReservationRepository } from './reservation.repository';
import { ReservationService } from './reservation.service';
import { ReservationSweeper } from './reservation.sweeper';

@Module({
  imports: [TypeOrmModule.forFeature([ReservationEntity, ReservationItemEntity]), ProductsModule],
  controllers: [ReservationController],
  providers: [ReservationService, ReservationRepository, ReservationSweeper],
})
export class ReservationsModule {}
