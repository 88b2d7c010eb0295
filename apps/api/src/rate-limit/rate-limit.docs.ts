import { Type } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';

const seconds = { type: 'integer' as const, minimum: 0 };

/**
 * The 429 every rate-limited operation may answer (when limits are configured; README "Operations"), with
 * Retry-After and the draft standard RateLimit-* headers, in the API's own error body.
 */
export const RateLimitedResponse = (type: Type<unknown>, description: string) =>
  ApiResponse({
    status: 429,
    type,
    description,
    headers: {
      'Retry-After': { description: 'Seconds until the limit resets.', schema: seconds },
      'RateLimit-Limit': { description: 'Requests allowed per window by the limit that was hit.', schema: seconds },
      'RateLimit-Remaining': { description: 'Requests left in the window (0).', schema: seconds },
      'RateLimit-Reset': { description: 'Seconds until the window resets.', schema: seconds },
    },
  });
