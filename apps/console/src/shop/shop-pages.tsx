import { Navigate, Route, Routes } from 'react-router';
import { AccountPage } from './account-page';
import { AccountsPage } from './accounts-page';
import { DiscrepanciesPage } from './discrepancies-page';
import { PaymentDetailPage } from './payment-detail-page';
import { PaymentsPage } from './payments-page';
import { ReportsPage } from './reports-page';
import { SettingsPage } from './settings-page';

/** The shop owner's pages (one lazily loaded chunk). */
export function ShopPages() {
  return (
    <Routes>
      <Route path="payments" element={<PaymentsPage />} />
      <Route path="payments/:id" element={<PaymentDetailPage />} />
      <Route path="accounts" element={<AccountsPage />} />
      <Route path="accounts/:id" element={<AccountPage />} />
      <Route path="reports" element={<ReportsPage />} />
      <Route path="discrepancies" element={<DiscrepanciesPage />} />
      <Route path="settings" element={<SettingsPage />} />
      <Route path="*" element={<Navigate to="payments" replace />} />
    </Routes>
  );
}
