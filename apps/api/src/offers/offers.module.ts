import { Module } from '@nestjs/common';

/** Feature module: filled by the offers issue. */
@Module({})
export class OffersModule {}
