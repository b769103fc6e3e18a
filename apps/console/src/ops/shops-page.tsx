import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, Route, Routes, useParams } from 'react-router';
import { api, typed } from '../shared/api';
import { formatTime } from '../shared/format';
import { useAction } from '../shared/use-action';
import { PaymentDetailPage } from '../shop/payment-detail-page';
import { PaymentsPage } from '../shop/payments-page';
import { ErrorNote } from '../shared/choice';

/** Every shop on the platform; create one; open one read-only. */
export function ShopsPage() {
  const [name, setName] = useState('');
  const shops = useQuery({ queryKey: ['tenants'], queryFn: () => typed(api.GET('/v1/tenants')) });
  const create = useAction(
    () => typed(api.POST('/v1/tenants', { body: { name } })),
    ['tenants'],
    () => setName(''),
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate(undefined);
  };
  return (
    <section aria-labelledby="shops-title">
      <h1 id="shops-title">Shops</h1>
      <ul className="panel">
        {(shops.data ?? []).map((t) => (
          <li key={t.id}>
            <Link to={`/ops/shops/${t.id}`}>{t.name}</Link> · since {formatTime(t.createdAt)}
          </li>
        ))}
      </ul>
      <form className="panel row" onSubmit={submit} aria-label="Create a shop">
        <label htmlFor="shop-name">Shop name</label>
        <input id="shop-name" value={name} required onChange={(e) => setName(e.target.value)} />
        <button type="submit">Create shop</button>
      </form>
      <ErrorNote errors={[create.error]} />
    </section>
  );
}

/** One shop as its owner sees its payments, read-only (the operator's key names the shop). */
export function ShopPage() {
  const { tenantId = '' } = useParams();
  const base = `/ops/shops/${tenantId}`;
  return (
    <>
      <p className="hint">Read-only view of one shop.</p>
      <Routes>
        <Route index element={<PaymentsPage tenantId={tenantId} basePath={base} />} />
        <Route path=":id" element={<PaymentDetailPage tenantId={tenantId} basePath={base} />} />
      </Routes>
    </>
  );
}
