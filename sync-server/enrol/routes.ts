import type { FastifyInstance } from 'fastify';
import { API_PREFIX, EnrolRequest, type EnrolResponse } from '../../shared/schemas/protocol.ts';
import { DEMO_STORE } from '../catalogue/demo-catalogue.ts';
import type { AppContext } from '../deps.ts';
import { HttpError, parseOr400 } from '../http/errors.ts';
import { enrolIntoStore, enrolWithPairingCode } from './enrol-terminal.ts';

/** Demo enrolment needs only a name; derived from the shared request so the rule stays one. */
const DemoEnrolRequest = EnrolRequest.pick({ terminalName: true });

export function enrolRoutes(app: FastifyInstance, ctx: AppContext): void {
  // Per client address: a pairing code has 40 bits, so guessing needs ~10^11 tries.
  const rateLimit = { max: ctx.rateLimits.enrol, timeWindow: 60_000 };

  app.post(`${API_PREFIX}/enrol`, { config: { rateLimit } }, async (request) => {
    const body = parseOr400(EnrolRequest, request.body, 'enrolment request');
    const response: EnrolResponse = await enrolWithPairingCode(ctx, body);
    request.log.info(
      { terminalId: response.terminalId, storeId: response.storeId },
      'terminal enrolled',
    );
    return response;
  });

  app.post(`${API_PREFIX}/enrol/demo`, { config: { rateLimit } }, async (request) => {
    if (!ctx.demo) {
      throw new HttpError(
        404,
        'not_found',
        'This server is not in demo mode. Enrol with a pairing code instead (npm run server -- pairing-code).',
      );
    }
    const body = parseOr400(DemoEnrolRequest, request.body, 'enrolment request');
    const response: EnrolResponse = await enrolIntoStore(ctx, DEMO_STORE.id, body.terminalName);
    request.log.info({ terminalId: response.terminalId }, 'demo terminal enrolled');
    return response;
  });
}
