// Cost: paid-per-call APIs sit behind a rate limit or a cache.
import { CACHE_PACKAGES, PAID_API_PACKAGES } from '../knowledge';
import { type CheckDefinition, at, defineChecks, fail, fromHit, notApplicable, lookedFor, pass } from './check';

const FRAMEWORK_CACHE = /\bunstable_cache\s*\(|^\s*['"]use cache['"]/gm;

export const COST_CHECKS = defineChecks([
  {
    id: 'paid-api-guarded',
    dimension: 'cost',
    title: 'Paid API calls are rate limited or cached',
    weight: 25,
    remedy: 'Rate-limit the routes that call paid APIs per user (@upstash/ratelimit, express-rate-limit) and cache repeated prompts, so one script cannot run up the bill.',
    evaluate(ctx) {
      const paid = ctx.app.paidApis;
      if (paid.length === 0) return notApplicable('No paid-per-call SDK in dependencies.', lookedFor('openai, @anthropic-ai/sdk, @google/generative-ai, replicate, twilio, …'));
      const callers = ctx.importing(PAID_API_PACKAGES);
      const limiter = ctx.app.rateLimiters[0];
      if (limiter) return pass(`${limiter.pkg} is in use (not verified to cover every paid call).`, at(limiter.file.path, undefined, `imports ${limiter.pkg}`));
      const cache = ctx.firstImporting(CACHE_PACKAGES);
      if (cache) return pass(`${cache.pkg} can cache paid calls (not verified to cover every one).`, at(cache.file.path, undefined, `imports ${cache.pkg}`));
      const frameworkCache = ctx.first(FRAMEWORK_CACHE);
      if (frameworkCache) return pass('Framework caching is in use (not verified to cover every paid call).', fromHit(frameworkCache));
      const evidence = callers.length > 0 ? callers.map(({ file, pkg }) => at(file.path, undefined, `calls ${pkg}`)) : [at('package.json', undefined, `depends on ${paid.join(', ')}`)];
      return fail(`${paid.join(', ')} ${paid.length === 1 ? 'is' : 'are'} called with no rate limit or cache: one script can run up an unbounded bill.`, ...evidence);
    },
  },
] satisfies CheckDefinition[]);
