// Answers to recursive yes/no questions about nodes (is this value request input?
// a constant?), computed on demand, where an answer may depend on itself through a
// cycle of assignments (`sql = sql + x`, `a = b; … b = a`). Each answer is the
// least fixed point: a cycle proves nothing by itself, so `true` needs a chain of
// reasons that ends outside every cycle. That makes an answer independent of which
// question was asked first. A memo that answers `false` for a question already
// being asked, and keeps what it computed under that assumption, is not: the
// answer for one variable of a cycle then depends on whether another was asked first.
//
// The questions being asked are walked like Tarjan's strongly connected components:
// an answer that read no question still open below it is final at once; the answers
// of a cycle are computed again, from their previous values, until none changes,
// and then are all final. Questions must be monotone: an answer read as `true`
// instead of `false` may turn the asking answer from `false` to `true`, never back.
import type { ts } from '../ts';

/** What is known of one question's answers, whatever the kind of node it is asked of. */
class Answers {
  readonly final = new Map<ts.Node, boolean>();
  /** Answers being computed, or computed within a cycle not yet solved. */
  readonly open = new Map<ts.Node, Frame>();
}

/** One question, asked of any number of nodes. */
export class Question<N extends ts.Node> extends Answers {
  constructor(readonly compute: (node: N) => boolean) {
    super();
  }
}

interface Frame {
  question: Answers;
  node: ts.Node;
  /** Order of asking; `low`: the earliest open question this answer read, itself included. */
  index: number;
  low: number;
  /** While computing, what readers are told (the previous round's answer, else `false`); then the answer. */
  value: boolean;
  computing: boolean;
  /** Whether a question read `value` while this one was still computing. */
  readEarly: boolean;
  /** Whether the answer differs from what such a question was told. */
  changed: boolean;
}

export class LeastFixpoint {
  private asked = 0;
  private readonly calls: Frame[] = [];
  /** Answers computed but not final, oldest first: each cycle's members lie above its first question. */
  private readonly pending: Frame[] = [];
  /** Per question, the previous round's answers of the cycle being solved: lower bounds of the final ones. */
  private readonly seeds = new Map<Answers, Map<ts.Node, boolean>>();

  ask<N extends ts.Node>(question: Question<N>, node: N): boolean {
    const answer = question.final.get(node);
    if (answer !== undefined) return answer;
    const open = question.open.get(node);
    if (open) {
      if (open.computing) open.readEarly = true;
      this.read(open.index);
      return open.value;
    }
    try {
      return this.solve(question, node);
    } catch (error) {
      this.abandon();
      throw error;
    }
  }

  private solve<N extends ts.Node>(question: Question<N>, node: N): boolean {
    for (;;) {
      const index = this.asked++;
      const frame: Frame = { question, node, index, low: index, value: this.seeds.get(question)?.get(node) ?? false, computing: true, readEarly: false, changed: false };
      question.open.set(node, frame);
      const base = this.pending.length;
      this.pending.push(frame);
      this.calls.push(frame);
      const value = question.compute(node);
      this.calls.pop();
      frame.computing = false;
      frame.changed = frame.readEarly && value !== frame.value;
      frame.value = value;
      this.read(frame.low);
      if (frame.low < index) return value; // inside a cycle through an earlier question: solved with it
      const members = this.pending.splice(base);
      const settled = members.every((member) => !member.changed);
      for (const member of members) {
        member.question.open.delete(member.node);
        if (settled) member.question.final.set(member.node, member.value);
        else this.seed(member);
      }
      if (settled) {
        if (this.calls.length === 0) this.seeds.clear();
        return value;
      }
    }
  }

  /** The question being computed read an answer from the question asked `index`-th. */
  private read(index: number): void {
    const caller = this.calls[this.calls.length - 1];
    if (caller && index < caller.low) caller.low = index;
  }

  private seed(frame: Frame): void {
    let seeds = this.seeds.get(frame.question);
    if (!seeds) this.seeds.set(frame.question, (seeds = new Map()));
    seeds.set(frame.node, frame.value);
  }

  /** After a throw: no open answer may be read later as if it had been computed. */
  private abandon(): void {
    for (const frame of this.pending) frame.question.open.delete(frame.node);
    this.pending.length = 0;
    this.calls.length = 0;
    this.seeds.clear();
  }
}
