import { describe, expect, it } from 'vitest';
import {
  calibrationIterationsFor,
  chooseByCalibration,
  fallBackAfterDeviceLoss,
  formatRate,
  planEngine,
} from '../../../renderer/engine/select-engine';

const CPU = 'CPU workers (2)';
const GPU = 'WebGPU on google / swiftshader';

describe('formatRate', () => {
  it.each([
    [1_900_000, '1.9M it/s'],
    [420_000, '420k it/s'],
    [12_340_000, '12M it/s'],
    [2_500, '2.5k it/s'],
    [950, '950 it/s'],
    [3.2e9, '3.2G it/s'],
    [0, '0 it/s'],
    [Number.NaN, '0 it/s'],
  ])('%d → %s', (rate, text) => {
    expect(formatRate(rate)).toBe(text);
  });
});

describe('planEngine', () => {
  const available = { available: true as const, description: GPU };
  const missing = {
    available: false as const,
    reason: 'No WebGPU adapter was found; simulations will use CPU workers.',
  };

  it('runs on the CPU workers when they are chosen, without calibrating', () => {
    expect(planEngine('cpu', available, CPU)).toEqual({
      engine: 'cpu',
      reason: 'CPU workers (2), as chosen in the options',
    });
  });

  it('runs on WebGPU when it is chosen and available', () => {
    expect(planEngine('webgpu', available, CPU)).toEqual({
      engine: 'webgpu',
      reason: `${GPU}, as chosen in the options`,
    });
  });

  it('calibrates for auto when both backends are there', () => {
    expect(planEngine('auto', available, CPU)).toEqual({ calibrate: true });
  });

  it('says WebGPU is not available, and why, when auto cannot use it', () => {
    const plan = planEngine('auto', missing, CPU);
    expect(plan).toEqual({
      engine: 'cpu',
      reason: 'WebGPU is not available (No WebGPU adapter was found) — ran on CPU workers (2)',
    });
  });

  it('says so when WebGPU was chosen but is missing, and runs on the CPU', () => {
    const plan = planEngine(
      'webgpu',
      {
        available: false,
        reason: 'This window does not expose WebGPU (navigator.gpu is missing); simulations will use CPU workers.',
      },
      CPU,
    );
    expect(plan).toMatchObject({ engine: 'cpu' });
    expect('reason' in plan && plan.reason).toBe(
      'WebGPU was chosen but is not available (This window does not expose WebGPU (navigator.gpu is missing)) — ran on CPU workers (2)',
    );
  });
});

describe('chooseByCalibration', () => {
  it('chooses the faster backend and names both with their speeds', () => {
    expect(
      chooseByCalibration(
        { description: CPU, iterationsPerSecond: 1.9e6 },
        { description: GPU, iterationsPerSecond: 0.4e6 },
        50_000,
      ),
    ).toEqual({
      engine: 'cpu',
      reason:
        'CPU workers (2): 1.9M it/s; WebGPU on google / swiftshader: 400k it/s (measured on 50,000 iterations of this model) — chose CPU',
    });
    const gpuWins = chooseByCalibration(
      { description: CPU, iterationsPerSecond: 2e6 },
      { description: 'WebGPU on nvidia / ampere', iterationsPerSecond: 90e6 },
      50_000,
    );
    expect(gpuWins.engine).toBe('webgpu');
    expect(gpuWins.reason).toMatch(
      /^CPU workers \(2\): 2\.0M it\/s; WebGPU on nvidia \/ ampere: 90M it\/s .* — chose WebGPU$/,
    );
  });

  it('keeps the CPU on a tie (no device to lose)', () => {
    expect(
      chooseByCalibration(
        { description: CPU, iterationsPerSecond: 1e6 },
        { description: GPU, iterationsPerSecond: 1e6 },
        50_000,
      ).engine,
    ).toBe('cpu');
  });

  it('chooses the CPU, and says why, when the WebGPU backend cannot run the model', () => {
    const decision = chooseByCalibration(
      { description: CPU, iterationsPerSecond: 1.2e6 },
      { description: GPU, failed: 'cumulative distributions are not on the GPU yet' },
      50_000,
    );
    expect(decision).toEqual({
      engine: 'cpu',
      reason:
        'CPU workers (2): 1.2M it/s; WebGPU on google / swiftshader could not run this model (cumulative distributions are not on the GPU yet) — chose CPU',
    });
  });
});

describe('fallBackAfterDeviceLoss', () => {
  it('keeps the first reason, says the device was lost and that the run went to the CPU', () => {
    const first = { engine: 'webgpu' as const, reason: `${GPU}, as chosen in the options` };
    const lost = fallBackAfterDeviceLoss(first, 'The WebGPU device "enclave-engine" was lost', CPU);
    expect(lost.engine).toBe('cpu');
    expect(lost.reason).toBe(
      `${GPU}, as chosen in the options. The WebGPU device was lost during the run (The WebGPU device "enclave-engine" was lost), so it ran again on CPU workers (2)`,
    );
  });
});

describe('calibrationIterationsFor', () => {
  it('times at least 50,000 iterations, enough for every worker to get a block, and never more than the run', () => {
    expect(calibrationIterationsFor(2, 10_000_000)).toBe(50_000);
    expect(calibrationIterationsFor(16, 10_000_000)).toBe(16 * 8_192);
    expect(calibrationIterationsFor(64, 10_000_000)).toBe(200_000);
    expect(calibrationIterationsFor(16, 20_000)).toBe(20_000);
  });

  it('says why WebGPU could not take the model and that the CPU workers ran it', async () => {
    const { fallBackForModel } = await import('../../../renderer/engine/select-engine');
    const first = { engine: 'webgpu' as const, reason: 'WebGPU on google / swiftshader, as chosen in the options' };
    expect(fallBackForModel(first, 'the model has 481 inputs; the GPU kernel takes at most 480', CPU)).toEqual({
      engine: 'cpu',
      reason:
        'WebGPU on google / swiftshader, as chosen in the options. WebGPU cannot run this model (the model has 481 inputs; the GPU kernel takes at most 480), so it ran on CPU workers (2)',
    });
  });
});
