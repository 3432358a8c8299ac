import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { parseCode } from '../../shared/code/entitlement-code.ts';
import { assignSeats } from '../../shared/templates/licence.ts';
import { currentSession, type Session } from '../customers/sessions.ts';
import type { AppContext } from '../deps.ts';
import { isoNow } from '../deps.ts';
import { giftCardBalanceText } from '../gift-cards/ledger.ts';
import { assignSeatsAndIssue, currentLicenceFile, seatsOf } from '../licences/licence-files.ts';
import { csrfOk } from '../redeem/csrf.ts';
import { formField, page, refuseForgedForm, setUpPortalScope } from '../redeem/portal-scope.ts';
import { onboardClaimed } from './activate.ts';
import { findHeldCode, type HeldEntitlement, type HeldProvisional } from './holder-code.ts';
import {
  codeNotFoundPage,
  heldCodePage,
  provisionalCodePage,
  provisionalRegisteredPage,
  registeredPage,
} from './pages.ts';
import type { FormState } from './register-form.ts';
import { SEATS_FIELD, readSubmission, seatLines } from './submission.ts';
import { inTransaction } from '../db/transaction.ts';
import { tellStatusOwner } from '../sync/change-notifier.ts';

type CodeRequest = FastifyRequest<{ Params: { code: string }; Querystring: { product?: string } }>;

export const REGISTERED_BY_HOLDER = 'registered by the holder';

/**
 * The holder's own page of a code (/account/codes/:code): what it is, its state and validity,
 * and the next step — the template's onboarding form, a licence's seats, the licence file.
 * Signed-in only; plain forms with the session's CSRF token and 303 redirects, no script.
 */
export async function onboardingRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  await app.register(async (scope) => {
    await setUpPortalScope(scope);
    const rateLimit = { max: ctx.rateLimits.portal, timeWindow: 60_000 };

    /** The session and the held code, or null when the answer (303 or 404) is already sent. */
    const load = async (
      request: CodeRequest,
      reply: FastifyReply,
    ): Promise<{ session: Session; held: HeldEntitlement | HeldProvisional } | null> => {
      const session = await currentSession(ctx, request);
      if (!session) {
        await reply.redirect('/signin', 303);
        return null;
      }
      const parsed = parseCode(request.params.code);
      const held = parsed.ok
        ? await findHeldCode(ctx.db, parsed.value.code, session.accountId, ctx.clock())
        : null;
      if (!held) {
        page(reply, 404, codeNotFoundPage());
        return null;
      }
      return { session, held };
    };

    const showHeld = async (
      reply: FastifyReply,
      status: number,
      held: HeldEntitlement,
      csrf: string,
      forms: { form?: FormState; seatsForm?: FormState } = {},
    ): Promise<FastifyReply> => {
      const licence = held.template?.kind === 'licence';
      const file = licence ? await currentLicenceFile(ctx.db, held.code) : undefined;
      return page(
        reply,
        status,
        heldCodePage({
          held,
          csrf,
          balance:
            held.template?.kind === 'gift_card'
              ? await giftCardBalanceText(ctx.db, held.code)
              : null,
          seats: licence ? await seatsOf(ctx.db, held.code) : [],
          licenceIssuedAt:
            file === undefined
              ? null
              : ((JSON.parse(file.body) as { issuedAt?: string }).issuedAt ?? null),
          ...forms,
        }),
      );
    };

    const chosenProduct = (held: HeldProvisional, id: string | undefined) =>
      held.choices.find((choice) => choice.id === id);

    scope.get('/account/codes/:code', async (request: CodeRequest, reply) => {
      const loaded = await load(request, reply);
      if (!loaded) return reply;
      const { held, session } = loaded;
      if (held.kind === 'provisional') {
        const chosen = chosenProduct(held, request.query.product);
        return page(reply, 200, provisionalCodePage({ held, csrf: session.csrfToken, chosen }));
      }
      return showHeld(reply, 200, held, session.csrfToken);
    });

    scope.post(
      '/account/codes/:code/onboard',
      { config: { rateLimit } },
      async (request: CodeRequest, reply) => {
        const loaded = await load(request, reply);
        if (!loaded) return reply;
        const { held, session } = loaded;
        if (!csrfOk(request, session.csrfToken)) return refuseForgedForm(reply);
        const now = isoNow(ctx.clock);
        if (held.kind === 'provisional') {
          const chosen = chosenProduct(held, formField(request.body, 'product'));
          if (held.state !== 'waiting' || held.stored !== null || chosen === undefined) {
            return reply.redirect(`/account/codes/${held.code}`, 303);
          }
          const result = readSubmission(chosen.template, request.body, now);
          if (!result.ok) {
            const form = { typed: result.typed, errors: result.errors };
            const body = provisionalCodePage({ held, csrf: session.csrfToken, chosen, form });
            return page(reply, 400, body);
          }
          const stored = JSON.stringify({ productId: chosen.id, ...result.submission });
          await ctx.db
            .updateTable('provisional_claims')
            .set({ onboarding: stored, onboarded_at: now })
            .where('code', '=', held.code)
            .where('account_id', '=', session.accountId)
            .where('state', '=', 'waiting')
            .where('onboarding', 'is', null)
            .execute();
          return reply.redirect(`/account/codes/${held.code}/registered`, 303);
        }
        const template = held.template;
        if (held.state !== 'claimed' || !template) {
          return reply.redirect(`/account/codes/${held.code}`, 303);
        }
        const result = readSubmission(template, request.body, now);
        if (!result.ok) {
          const form = { typed: result.typed, errors: result.errors };
          return showHeld(reply, 400, held, session.csrfToken, { form });
        }
        const owner = await inTransaction(ctx.db, (trx) =>
          onboardClaimed(
            trx,
            {
              code: held.code,
              template,
              submission: result.submission,
              actor: `customer:${session.accountId}`,
              reason: REGISTERED_BY_HOLDER,
            },
            ctx,
          ),
        );
        if (owner === null) return reply.redirect(`/account/codes/${held.code}`, 303);
        tellStatusOwner(ctx.notifier, owner);
        request.log.info({ storeId: owner.storeId }, 'code registered');
        return reply.redirect(`/account/codes/${held.code}/registered`, 303);
      },
    );

    scope.get('/account/codes/:code/registered', async (request: CodeRequest, reply) => {
      const loaded = await load(request, reply);
      if (!loaded) return reply;
      const { held } = loaded;
      if (held.kind === 'provisional') {
        if (held.stored === null) return reply.redirect(`/account/codes/${held.code}`, 303);
        return page(reply, 200, provisionalRegisteredPage(held));
      }
      if (held.state !== 'onboarded' && held.state !== 'active') {
        return reply.redirect(`/account/codes/${held.code}`, 303);
      }
      return page(reply, 200, registeredPage(held));
    });

    scope.post(
      '/account/codes/:code/seats',
      { config: { rateLimit } },
      async (request: CodeRequest, reply) => {
        const loaded = await load(request, reply);
        if (!loaded) return reply;
        const { held, session } = loaded;
        if (!csrfOk(request, session.csrfToken)) return refuseForgedForm(reply);
        const template = held.kind === 'entitlement' ? held.template : undefined;
        if (
          held.kind !== 'entitlement' ||
          held.state !== 'active' ||
          template?.kind !== 'licence'
        ) {
          return reply.redirect(`/account/codes/${held.code}`, 303);
        }
        const body = request.body as Record<string, unknown> | null;
        const seatsText =
          typeof body?.[SEATS_FIELD] === 'string' ? body[SEATS_FIELD].slice(0, 256_000) : '';
        const lines = seatLines(seatsText);
        const assigned = assignSeats(template, lines);
        if (lines.length === 0 || !assigned.ok) {
          const error = assigned.ok
            ? 'Give at least one e-mail address, one per line.'
            : assigned.reason;
          const seatsForm = { typed: { values: {}, seatsText }, errors: { [SEATS_FIELD]: error } };
          return showHeld(reply, 400, held, session.csrfToken, { seatsForm });
        }
        const reseated = await inTransaction(ctx.db, async (trx) => {
          // Lock the code first (a no-op UPDATE), so two re-seatings run one after the other.
          const locked = await trx
            .updateTable('entitlements')
            .set((eb) => ({ updated_at: eb.ref('updated_at') }))
            .where('code', '=', held.code)
            .where('state', '=', 'active')
            .where('holder_account_id', '=', session.accountId)
            .returning('code')
            .executeTakeFirst();
          if (!locked) return false;
          await assignSeatsAndIssue(
            trx,
            { code: held.code, seats: assigned.seats, actor: `customer:${session.accountId}` },
            ctx,
          );
          return true;
        });
        if (reseated) request.log.info({ storeId: held.storeId }, 'licence re-seated');
        return reply.redirect(`/account/codes/${held.code}`, 303);
      },
    );

    scope.get('/account/codes/:code/licence', async (request: CodeRequest, reply) => {
      const loaded = await load(request, reply);
      if (!loaded) return reply;
      const { held } = loaded;
      const file =
        held.kind === 'entitlement' && held.state === 'active'
          ? await currentLicenceFile(ctx.db, held.code)
          : undefined;
      if (!file) return page(reply, 404, codeNotFoundPage());
      return reply
        .type('application/json; charset=utf-8')
        .header('content-disposition', `attachment; filename="licence-${held.code}.json"`)
        .send(file.body);
    });
  });
}
