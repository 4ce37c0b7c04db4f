import { expect, it } from 'vitest';
import { compileValidator, toBronzeRow, Type, unwrapIdView, type Stream } from '../src/index.js';
import { idView } from '../src/envelope/id-view.js';

it('id() sees a view whose objects refuse to become text; unwrapIdView gives back the record itself, at any depth', () => {
  const record = { id: 'a', nested: { list: [{ x: 1 }] } };
  const view = idView(record);
  expect(view).not.toBe(record);
  expect(() => `${view.nested}`).toThrow(/has no text form to be an id/);
  expect(view.nested.list[0].x).toBe(1);
  // What Apple Health's content ids rely on: the record, not a proxy per object touched.
  expect(unwrapIdView(view)).toBe(record);
  expect(unwrapIdView(view.nested)).toBe(record.nested);
  expect(unwrapIdView(view.nested.list)).toBe(record.nested.list);
  // Anything that is not a view comes back as it is.
  expect(unwrapIdView(record)).toBe(record);
  expect(unwrapIdView('a')).toBe('a');
  expect(unwrapIdView(null)).toBe(null);
});

it('an id() that unwraps the view reads the record itself', () => {
  let seen: unknown;
  const stream: Stream<{ id: string; body: { text: string } }> = {
    name: 'docs',
    schema: Type.Object({ id: Type.String(), body: Type.Object({ text: Type.String() }) }),
    id: (r) => {
      seen = unwrapIdView(r.body);
      return r.id;
    },
  };
  const record = { id: 'd1', body: { text: 'hello' } };
  const row = toBronzeRow({ stream, validate: compileValidator(stream.schema) }, record);
  expect(row.rawId).toBe('d1');
  expect(seen).toBe(record.body);
});
