import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsInt, IsNotEmpty, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { IsMoneyAmount, MAX_PRICE } from '../../common/money';
import { IsUuid, Trim } from '../../common/validation';
import { MAX_STOCK } from '../product.rules';

/** The rules of each product field, shared by the create and update bodies. */
export const ProductName = () => applyDecorators(Trim(), IsString(), IsNotEmpty(), MaxLength(200));

/** `null` clears the description. */
export const ProductDescription = () => applyDecorators(IsOptional(), Trim(), IsString(), MaxLength(5000));

export const Price = () =>
  applyDecorators(
    IsMoneyAmount(),
    Min(0.01, { message: 'price must be at least 0.01' }),
    Max(MAX_PRICE, { message: `price must not be greater than ${MAX_PRICE}` }),
  );

export const CategoryId = () => applyDecorators(IsUuid());

export const Stock = () => applyDecorators(IsInt(), Min(0), Max(MAX_STOCK));

export const Tags = () =>
  applyDecorators(
    Transform(({ value }) => (Array.isArray(value) ? value.map((tag) => (typeof tag === 'string' ? tag.trim() : tag)) : value)),
    IsArray(),
    ArrayMaxSize(20),
    IsString({ each: true }),
    IsNotEmpty({ each: true }),
    MaxLength(50, { each: true }),
  );

export const IsActive = () => applyDecorators(IsBoolean());
