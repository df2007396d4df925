import { IconsImageSource } from './icons.image-source.js';
it('measures', async () => {
  const s = new IconsImageSource();
  const t0 = performance.now();
  await s.match(['x']);
  const out = [`index ms ${(performance.now() - t0).toFixed(0)}`];
  const words = 'photosynthesis leaves volcano planets economy democracy battery electricity water history recipe heart brain computer money rocket ocean music mountains mathematics bee glacier 光合作用 Wasser fotosíntesis'.split(' ');
  let hits = 0;
  for (const w of words) { const m = await s.match([w]); if (m.step !== 'default') hits++; out.push(`${w.padEnd(16)} ${m.step.padEnd(9)} ${m.ref.set}:${m.ref.name} (${m.term})`); }
  out.push(`hits ${hits}/${words.length}`);
  console.log(out.join('\n'));
});
