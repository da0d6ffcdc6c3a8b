import { describe, expect, it } from 'vitest';
import { movementsSection, pipelineSection, type PipelineRow } from '../../../shared/report/sections/pipeline';

const at = (o: Partial<PipelineRow> = {}): PipelineRow => ({ at: 'start', stage: 'new', currency: 'BGN', n: 1, v: 100, ...o });

describe('pipeline sections', () => {
  it('puts the start and the end of each stage and currency side by side, zeros where a stage was empty', () => {
    const s = pipelineSection([
      at({ at: 'start', stage: 'proposal', currency: 'EUR', n: 1, v: 100 }),
      at({ at: 'end', stage: 'proposal', currency: 'EUR', n: 2, v: 300 }),
      at({ at: 'end', stage: 'new', currency: 'BGN', n: 5, v: 500 }),
      at({ at: 'start', stage: 'new', currency: 'EUR', n: 1, v: 10 }),
    ]);
    expect(s.key).toBe('pipeline');
    // In pipeline order of the stage, then by currency.
    expect(s.rows).toEqual([
      ['new', 'BGN', 0, 0, 5, 500],
      ['new', 'EUR', 1, 10, 0, 0],
      ['proposal', 'EUR', 1, 100, 2, 300],
    ]);
  });

  it('is an empty table for an empty pipeline', () => {
    expect(pipelineSection([]).rows).toEqual([]);
  });

  it('lists stage moves in pipeline order of the stage left, then of the stage reached', () => {
    const s = movementsSection([
      { from_stage: 'proposal', to_stage: 'won', n: 1 },
      { from_stage: 'new', to_stage: 'lost', n: 2 },
      { from_stage: 'new', to_stage: 'qualified', n: 3 },
    ]);
    expect(s.key).toBe('movements');
    expect(s.rows).toEqual([
      ['new', 'qualified', 3],
      ['new', 'lost', 2],
      ['proposal', 'won', 1],
    ]);
  });
});
