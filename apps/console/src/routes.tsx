import { createBrowserRouter, Navigate } from 'react-router';
import { Layout } from './shared/layout';
import { RequireRole } from './shared/require-role';
import { RoleHome } from './shared/role-home';
import { SignInPage } from './shared/sign-in-page';

/** Each area is its own chunk: a till never downloads the dashboard or the chart library. */
export const router = createBrowserRouter(
  [
    { path: '/sign-in', element: <SignInPage /> },
    {
      element: <Layout />,
      children: [
        { index: true, element: <RoleHome /> },
        {
          path: 'till',
          element: <RequireRole roles={['terminal']} />,
          children: [
            {
              index: true,
              lazy: async () => ({ Component: (await import('./till/till-page')).TillPage }),
            },
          ],
        },
        {
          path: 'shop/*',
          element: <RequireRole roles={['owner']} />,
          children: [
            {
              path: '*',
              lazy: async () => ({ Component: (await import('./shop/shop-pages')).ShopPages }),
            },
          ],
        },
        {
          path: 'ops/*',
          element: <RequireRole roles={['ops']} />,
          children: [
            {
              path: '*',
              lazy: async () => ({ Component: (await import('./ops/ops-pages')).OpsPages }),
            },
          ],
        },
        { path: '*', element: <Navigate to="/" replace /> },
      ],
    },
  ],
  { basename: '/console' },
);
