/** The names of every ALB in the region (for triage: alarms that name an alarm, not a load balancer). */
import { DescribeLoadBalancersCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import { callAws } from "./call.ts";
import type { AwsClients } from "./clients.ts";

export async function listAlbNames(clients: AwsClients): Promise<string[]> {
  const names: string[] = [];
  let marker: string | undefined;
  do {
    const page = await callAws(
      "elasticloadbalancing:DescribeLoadBalancers",
      (abortSignal) =>
        clients.elbv2.send(new DescribeLoadBalancersCommand({ Marker: marker, PageSize: 400 }), {
          abortSignal,
        }),
      { deadlineMs: clients.callDeadlineMs },
    );
    for (const lb of page.LoadBalancers ?? []) {
      if (lb.LoadBalancerName && (lb.Type ?? "application") === "application")
        names.push(lb.LoadBalancerName);
    }
    marker = page.NextMarker;
  } while (marker);
  return names;
}

/** The longest ALB name contained in the alarm name ("shop-prod-alb-502" -> "shop-prod"), if any. */
export function albNameInAlarmName(alarmName: string, names: string[]): string | undefined {
  const lower = alarmName.toLowerCase();
  return names.filter((n) => lower.includes(n.toLowerCase())).sort((a, b) => b.length - a.length)[0];
}
