export function DiscrepanciesPage() {
  return <h1>DiscrepanciesPage</h1>;
}
