// Where a finding about a whole route is shown: the handler's head (its name, or its
// parameters and arrow), not its whole body, so the squiggle stays on one line.
import { ts } from '../../server/src/engine/ts';

export function handlerHead(handler: ts.FunctionLikeDeclaration): { start: number; end: number } {
  if (handler.name) return { start: handler.name.getStart(), end: handler.name.end };
  const start = handler.getStart();
  if (ts.isArrowFunction(handler)) return { start, end: handler.equalsGreaterThanToken.end };
  const body = handler.body;
  return { start, end: body ? body.getStart() : handler.end };
}
