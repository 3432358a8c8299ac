import type { FastifyInstance } from 'fastify';
import { PROTOCOL_VERSION, type HealthResponse } from '../../shared/schemas/protocol.ts';
import { isoNow, type AppContext } from '../deps.ts';

export function healthRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get('/health', (): HealthResponse => ({
    status: 'ok',
    version: ctx.version,
    protocolVersion: PROTOCOL_VERSION,
    demo: ctx.demo,
    time: isoNow(ctx.clock),
  }));
}
