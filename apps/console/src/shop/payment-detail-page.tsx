export function PaymentDetailPage() {
  return <h1>PaymentDetailPage</h1>;
}
