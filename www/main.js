import init, { Planar } from './pkg/planar.js';

const wasm = await init();
const planar = new Planar();
const plot = document.getElementById('plot');
const context = plot.getContext('2d');

function frame() {
  planar.step(10);
  const { width, height } = plot;
  const pointer = planar.render_field(width, height);
  const pixels = new Uint8ClampedArray(wasm.memory.buffer, pointer, width * height * 4);
  context.putImageData(new ImageData(pixels, width, height), 0, 0);
  document.getElementById('iteration').textContent = planar.iteration();
  document.getElementById('cost').textContent = planar.cost()?.toFixed(6) ?? '–';
  document.getElementById('accuracy').textContent = `${planar.accuracy()?.toFixed(2) ?? '–'} %`;
  document.getElementById('points').textContent = planar.point_count();
  requestAnimationFrame(frame);
}
requestAnimationFrame(frame);
