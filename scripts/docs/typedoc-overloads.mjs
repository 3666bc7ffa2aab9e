// @ts-check
/**
 * A TypeDoc plugin for the API site: the generated `F.*` functions and `nn.*`
 * constructors have one overload per Python binding, and each overload
 * carries the whole TSDoc (an editor shows the overload that matched the
 * call). On the site, the first overload keeps the text and the others say
 * which parameters they take by position, so a page reads once. (Max
 * pooling's `returnIndices: true` and `boolean` overloads carry one line of
 * their own, pointing at the first overload; they are left as they are.)
 */
import { Comment, Converter, ReflectionKind } from 'typedoc';

/** @param {import('typedoc').Application} app */
export function load(app) {
  app.converter.on(Converter.EVENT_RESOLVE_END, (context) => {
    const kinds = ReflectionKind.Function | ReflectionKind.Method | ReflectionKind.Constructor;
    for (const refl of context.project.getReflectionsByKind(kinds)) {
      const sigs = /** @type {import('typedoc').DeclarationReflection} */ (refl).signatures ?? [];
      const first = sigs[0]?.comment;
      if (sigs.length < 2 || !first) continue;
      const text = Comment.combineDisplayParts(first.summary);
      for (const sig of sigs.slice(1)) {
        if (!sig.comment || Comment.combineDisplayParts(sig.comment.summary) !== text) continue;
        const byPosition = (sig.parameters ?? [])
          .map((p) => p.name)
          .filter((n) => n !== 'options' && !(sigs[0].parameters ?? []).some((q) => q.name === n));
        const what = byPosition.length
          ? `with ${byPosition.map((n) => `\`${n}\``).join(', ')} by position`
          : 'with its arguments by position';
        sig.comment.summary = [{ kind: 'text', text: `The same call, ${what} (as in Python).` }];
        sig.comment.blockTags = sig.comment.blockTags.filter((t) => t.tag !== '@example');
      }
    }
  });
}
