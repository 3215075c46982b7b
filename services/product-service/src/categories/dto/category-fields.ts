import { applyDecorators } from '@nestjs/common';
import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { Trim } from '../../common/validation';

/** The rules of each category field, shared by the create and update bodies. */
export const CategoryName = () => applyDecorators(Trim(), IsString(), IsNotEmpty(), MaxLength(100));
/** `null` clears the description. */
export const CategoryDescription = () => applyDecorators(IsOptional(), Trim(), IsString(), MaxLength(1000));
