import { Navigate, Route, Routes } from 'react-router';
import { DiscrepanciesPage } from '../shop/discrepancies-page';
import { CallbacksPage } from './callbacks-page';
import { HealthPage } from './health-page';
import { ReconciliationPage } from './reconciliation-page';
import { ShopPage, ShopsPage } from './shops-page';

/** The operator console (one lazily loaded chunk). */
export function OpsPages() {
  return (
    <Routes>
      <Route path="shops" element={<ShopsPage />} />
      <Route path="shops/:tenantId/*" element={<ShopPage />} />
      <Route path="reconciliation" element={<ReconciliationPage />} />
      <Route path="callbacks" element={<CallbacksPage />} />
      <Route path="discrepancies" element={<DiscrepanciesPage showShop />} />
      <Route path="health" element={<HealthPage />} />
      <Route path="*" element={<Navigate to="shops" replace />} />
    </Routes>
  );
}
