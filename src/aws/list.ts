/** Every ALB in the region: for suggestions, DNS-name lookups, and alarms that name only themselves. */
import { DescribeLoadBalancersCommand, type LoadBalancer } from "@aws-sdk/client-elastic-load-balancing-v2";
import { allPages, awsCall } from "./call.ts";
import type { AwsClients } from "./clients.ts";

export async function listAlbNames(clients: AwsClients): Promise<string[]> {
  return (await listAlbs(clients)).map((lb) => lb.LoadBalancerName ?? "").filter(Boolean);
}

/** Application load balancers of the region, every page. */
export async function listAlbs(clients: AwsClients): Promise<LoadBalancer[]> {
  const pages = await allPages(
    (Marker) =>
      awsCall(clients, "elasticloadbalancing:DescribeLoadBalancers", (abortSignal) =>
        clients.elbv2.send(new DescribeLoadBalancersCommand({ Marker, PageSize: 400 }), { abortSignal }),
      ),
    (page) => page.NextMarker,
  );
  return pages
    .flatMap((page) => page.LoadBalancers ?? [])
    .filter((lb) => (lb.Type ?? "application") === "application");
}

/** The longest ALB name contained in the alarm name ("shop-prod-alb-502" -> "shop-prod"), if any. */
export function albNameInAlarmName(alarmName: string, names: string[]): string | undefined {
  const lower = alarmName.toLowerCase();
  return names.filter((n) => lower.includes(n.toLowerCase())).sort((a, b) => b.length - a.length)[0];
}
