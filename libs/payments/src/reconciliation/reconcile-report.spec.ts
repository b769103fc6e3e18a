import { buildReport, csvField, daysBetween, eatDayRange } from './reconcile-report';

describe(eatDayRange.name, () => {
  it('is midnight to midnight in Nairobi', () => {
    expect(eatDayRange('2026-11-22')).toEqual({
      from: new Date('2026-11-21T21:00:00.000Z'),
      to: new Date('2026-11-22T21:00:00.000Z'),
    });
    expect(() => eatDayRange('22-11-2026')).toThrow();
  });

  it('lists every day of a range, inclusive', () => {
    expect(daysBetween('2026-02-27', '2026-03-02')).toEqual([
      '2026-02-27',
      '2026-02-28',
      '2026-03-01',
      '2026-03-02',
    ]);
    expect(daysBetween('2026-03-02', '2026-03-01')).toEqual([]);
  });
});

describe(csvField.name, () => {
  it('quotes separators and quotes, and defuses spreadsheet formulas', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('=SUM(A1)')).toBe("'=SUM(A1)");
    expect(csvField(null)).toBe('');
    expect(csvField(-5)).toBe('-5');
  });
});

describe(buildReport.name, () => {
  it('adds groups into totals, statuses, terminals and channels that agree', () => {
    const r = buildReport({
      tenantId: 't',
      from: new Date(0),
      to: new Date(1),
      groups: [
        {
          status: 'succeeded',
          terminalId: 'a',
          channelId: 'c1',
          count: 2,
          amount: 30,
          paidAmount: 30,
        },
        { status: 'failed', terminalId: null, channelId: 'c1', count: 1, amount: 5, paidAmount: 0 },
        {
          status: 'awaiting_customer',
          terminalId: 'a',
          channelId: 'c2',
          count: 4,
          amount: 40,
          paidAmount: 0,
        },
      ],
      medianSecondsToOutcome: 12.3456,
      discrepancies: [],
    });
    expect(r.totals).toEqual({
      count: 7,
      amount: 75,
      succeeded: { count: 2, amount: 30 },
      collected: 30,
    });
    expect(r.successRate).toBe(0.6667);
    expect(r.byTerminal.find((t) => t.terminalId === 'a')).toMatchObject({ count: 6, amount: 70 });
    expect(r.byChannel.map((c) => c.count)).toEqual([3, 4]);
    expect(r.medianSecondsToOutcome).toBe(12.346);
  });
});
