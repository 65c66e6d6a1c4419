// A list query's uncapped page size (requestPageSize.ts), kept with its DbCall across
// edits of the file, as sql-injection keeps a sink's finding (rules/sql-injection/kept.ts):
// on every keystroke the rule asks it of every limited query in the file, and following
// each limit to the request (data-flow taint) was most of the rule's time.
//
// FileFacts hands out the same DbCall object on a later version only while the function
// it was found in (`keptWith`), the functions around that one, the nodes the call read
// and the file's context token are all unchanged (facts/dbFacts.ts, facts/editContext.ts).
// The judgement follows the limit through the code around the query, the declarations
// and writes of the names it resolves there and at the file level, and the uses before
// the query of the names it holds. The token vouches for the file level: an edit that
// keeps it changes one function body that writes no name declared outside it, and the
// data flow reads no function body of a file-level declaration (a zod schema's
// `.refine()` callback). It reads no other file (data flow and its zod schemas see this
// file alone; a schema imported from another module is not read). What the token
// cannot vouch for is the uses of a file-level name, which any function may hold and an
// edit that keeps the token may add (`if (pageSize > 100) return` in another handler):
// a judgement that read them is not kept. A one-shot scan keeps nothing (editCaching.ts).
//
// The size is a node, not offsets: a kept one is the same node object in the current
// tree (the reparse reuses the function holding it, moving its positions), so the
// message and the fix built from it each time read the current text. Only sizes inside
// the function the call is kept by are kept, so an entry never holds a replaced node.
import type { DataFlow, DbCall } from '../../server/src/engine/facts';
import type { DbLimit } from '../../server/src/engine/facts/appModel';
import { keptWith } from '../../server/src/engine/facts/dbFacts';
import { keepingFactsAcrossEdits } from '../../server/src/engine/facts/editCaching';
import { isWithin } from '../../server/src/engine/facts/scopes';
import type { ts } from '../../server/src/engine/ts';
import { judgeRequestSize, uncappedRequestSize } from './requestPageSize';

interface Kept {
  /** The node the call is kept by (dbFacts keptWith), which holds the size. */
  base: ts.Node;
  path: string;
  size: ts.Expression | undefined;
}

const KEPT = new WeakMap<DbCall, Kept>();

/** `uncappedRequestSize(limit, flow)` for the call's limit, judged again only when the call is new (or its base left the tree). */
export function keptRequestSize(call: DbCall, limit: DbLimit, path: string, flow: DataFlow): ts.Expression | undefined {
  if (!keepingFactsAcrossEdits()) return uncappedRequestSize(limit, flow);
  const kept = KEPT.get(call);
  // A base the reparse replaced still hangs from the old tree: dbFacts and keptWith would then divide the file differently.
  if (kept && kept.path === path && kept.base.getSourceFile() === call.call.getSourceFile()) return kept.size;
  const { size, readFileLevelUses } = judgeRequestSize(limit, flow);
  const base = keptWith(call.call);
  if (!readFileLevelUses && (!size || isWithin(size, base))) KEPT.set(call, { base, path, size });
  else KEPT.delete(call);
  return size;
}
