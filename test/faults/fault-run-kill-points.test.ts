// Where the fault run arms its kills: each after a number of seals that leaves a form to seal after it,
// so every kill has a batch to meet; shares that cannot promise that are refused before anything starts.
import { describe, expect, it } from 'vitest';
import { formsBeforeKills } from './fault-run';

describe('formsBeforeKills', () => {
  it('turns shares into the number of seals that start before each kill is armed', () => {
    expect(formsBeforeKills([0.5], 60)).toEqual([30]);
    expect(formsBeforeKills([0.15, 0.35, 0.55, 0.75, 0.9], 1_000)).toEqual([150, 350, 550, 750, 900]);
    // the last form is always sealed after the last kill is armed
    expect(formsBeforeKills([0.99], 10)).toEqual([9]);
    expect(formsBeforeKills([], 10)).toEqual([]);
  });

  it.each([
    [[0], 10, 'killAt[0] must be a share above 0 and below 1 that leaves a form to seal after it, got 0 of 10 forms'],
    [[1], 10, 'killAt[0] must be a share above 0 and below 1 that leaves a form to seal after it, got 1 of 10 forms'],
    [[0.5, Number.NaN], 10, 'killAt[1] must be a share above 0 and below 1 that leaves a form to seal after it, got NaN of 10 forms'],
    [[0.5, 0.5], 10, 'killAt must rise by at least one form each time, got 0.5 then 0.5 of 10 forms'],
    [[0.5, 0.55], 10, 'killAt must rise by at least one form each time, got 0.5 then 0.55 of 10 forms'],
    [[0.6, 0.3], 10, 'killAt must rise by at least one form each time, got 0.6 then 0.3 of 10 forms'],
  ])('refuses the kill shares %j of %i forms, saying which', (killAt, total, message) => {
    expect(() => formsBeforeKills(killAt, total)).toThrow(`fault run: ${message}`);
  });
});
