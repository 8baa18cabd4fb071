import { describe, expect, it } from 'vitest';
import { aOrAn, count } from './words';

describe('count', () => {
  it('says one and many as English does', () => {
    expect(count(1, 'session')).toBe('1 session');
    expect(count(0, 'session')).toBe('0 sessions');
    expect(count(2, 'analysis', 'analyses')).toBe('2 analyses');
    expect(count(12500, 'unit')).toBe('12,500 units');
  });

  it('puts an before a vowel: an observer, a patient', () => {
    expect(['observer', 'patient', 'trainee', 'supervisor', 'therapist'].map(aOrAn)).toEqual([
      'an observer',
      'a patient',
      'a trainee',
      'a supervisor',
      'a therapist',
    ]);
  });
});
