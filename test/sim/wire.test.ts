import { describe, expect, it } from "vitest";
import { SimError } from "../../src/sim/contract.ts";
import { parseQueryRequest, qInt, qKeyValues, qList, qStrings } from "../../src/sim/wire/query.ts";
import {
  awsQueryError,
  awsQueryResponseFrom,
  ec2Error,
  el,
  escapeXml,
  renderXml,
} from "../../src/sim/wire/xml.ts";

describe("query-protocol parsing", () => {
  const cases: [string, string, unknown][] = [
    ["awsQuery list", "Names.member.1=a&Names.member.2=b", { Names: ["a", "b"] }],
    [
      "list order by index",
      "Names.member.2=b&Names.member.10=c&Names.member.1=a",
      { Names: ["a", "b", "c"] },
    ],
    [
      "awsQuery list of structures",
      "Attributes.member.1.Key=k1&Attributes.member.1.Value=v1&Attributes.member.2.Key=k2&Attributes.member.2.Value=",
      {
        Attributes: [
          { Key: "k1", Value: "v1" },
          { Key: "k2", Value: "" },
        ],
      },
    ],
    ["ec2 flattened list", "GroupId.1=sg-1&GroupId.2=sg-2", { GroupId: ["sg-1", "sg-2"] }],
    [
      "ec2 filters",
      "Filter.1.Name=vpc-id&Filter.1.Value.1=vpc-1&Filter.2.Name=group-id&Filter.2.Value.1=a&Filter.2.Value.2=b",
      {
        Filter: [
          { Name: "vpc-id", Value: ["vpc-1"] },
          { Name: "group-id", Value: ["a", "b"] },
        ],
      },
    ],
    [
      "ec2 nested permissions",
      "IpPermissions.1.IpProtocol=tcp&IpPermissions.1.FromPort=80&IpPermissions.1.IpRanges.1.CidrIp=10.0.0.0%2F8",
      { IpPermissions: [{ IpProtocol: "tcp", FromPort: "80", IpRanges: [{ CidrIp: "10.0.0.0/8" }] }] },
    ],
    ["empty list", "Names=", { Names: "" }],
    ["awsQuery map entries", "Tags.entry.1.key=a&Tags.entry.1.value=b", { Tags: [{ key: "a", value: "b" }] }],
  ];
  it.each(cases)("%s", (_label, body, params) => {
    const req = parseQueryRequest(`Action=DescribeThings&Version=2015-12-01&${body}`);
    expect(req.action).toBe("DescribeThings");
    expect(req.version).toBe("2015-12-01");
    expect(req.params).toEqual(params);
  });

  it("reads the action from the URL query of a GET request", () => {
    const req = parseQueryRequest("", new URLSearchParams("Action=GetCallerIdentity&Version=2011-06-15"));
    expect(req.action).toBe("GetCallerIdentity");
  });

  it("typed accessors turn empty lists into [] and bad numbers into ValidationError", () => {
    const { params } = parseQueryRequest("Names=&PageSize=abc&Attributes.member.1.Key=a");
    expect(qList(params.Names)).toEqual([]);
    expect(qStrings(params.Missing)).toEqual([]);
    expect(qKeyValues(params.Attributes)).toEqual([{ Key: "a", Value: undefined }]);
    expect(() => qInt(params.PageSize, "PageSize")).toThrow(SimError);
  });
});

describe("XML writer", () => {
  it("escapes text and drops characters XML cannot carry", () => {
    expect(escapeXml(`a<b>&"c'\u0001`)).toBe("a&lt;b&gt;&amp;&quot;c&apos;");
    expect(renderXml(el("A", "x&y", el("B", 3), undefined, el("C")), false)).toBe(
      "<A>x&amp;y<B>3</B><C/></A>",
    );
  });

  it("rejects element names that would break the document", () => {
    expect(() => renderXml(el("a b"), false)).toThrow();
  });

  it("writes awsQuery result envelopes with <member> lists and ISO timestamps", () => {
    const xml = awsQueryResponseFrom(
      "DescribeThings",
      "http://example/doc/",
      { Things: [{ Name: "n", At: new Date(0), Skip: undefined }], NextMarker: undefined },
      "req-1",
    );
    expect(xml).toContain('<DescribeThingsResponse xmlns="http://example/doc/"><DescribeThingsResult>');
    expect(xml).toContain(
      "<Things><member><Name>n</Name><At>1970-01-01T00:00:00.000Z</At></member></Things>",
    );
    expect(xml).not.toContain("Skip");
    expect(xml).not.toContain("NextMarker");
    expect(xml).toContain("<ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata>");
  });

  it("writes error envelopes for awsQuery and ec2Query", () => {
    expect(awsQueryError({ code: "Throttling", message: "Rate exceeded", senderFault: true }, "r")).toContain(
      "<Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>r</RequestId>",
    );
    expect(ec2Error({ code: "InvalidGroup.NotFound", message: "m" }, "r")).toContain(
      "<Response><Errors><Error><Code>InvalidGroup.NotFound</Code><Message>m</Message></Error></Errors><RequestID>r</RequestID></Response>",
    );
  });
});
