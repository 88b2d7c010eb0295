import { ApiHeader } from '@nestjs/swagger';

/** Every operation may send an x-correlation-id, which every response echoes. */
export const CorrelationIdHeader = () =>
  ApiHeader({
    name: 'x-correlation-id',
    required: false,
    description:
      'Your id for correlating log lines across a call flow (at most 128 of [A-Za-z0-9_.:@-]); echoed in the response. Absent: one is generated.',
  });
