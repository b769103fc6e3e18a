import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

/** Amount (KES) and count of payments per day, one uPlot chart; the table beside it has the figures. */
export default function ReportChart(props: {
  days: string[];
  amounts: number[];
  counts: number[];
}) {
  const box = useRef<HTMLDivElement>(null);
  // Redrawn when the figures change, not on every render of the page.
  const figures = JSON.stringify(props);
  useEffect(() => {
    if (!box.current) return;
    const { days, amounts, counts } = JSON.parse(figures) as typeof props;
    const xs = days.map((d) => Date.parse(`${d}T00:00:00+03:00`) / 1000);
    const plot = new uPlot(
      {
        width: Math.min(900, box.current.clientWidth || 600),
        height: 240,
        series: [
          {},
          { label: 'Amount (KES)', stroke: '#0b6b3a', width: 2, scale: 'kes' },
          { label: 'Payments', stroke: '#064c8f', width: 2, scale: 'n' },
        ],
        axes: [{}, { scale: 'kes' }, { scale: 'n', side: 1, grid: { show: false } }],
      },
      [xs, amounts, counts],
      box.current,
    );
    return () => plot.destroy();
  }, [figures]);
  return (
    <div
      ref={box}
      className="chart"
      role="img"
      aria-label="Amount and number of payments per day"
    />
  );
}
