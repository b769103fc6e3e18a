export function OpsPages() {
  return <h1>Operations</h1>;
}
