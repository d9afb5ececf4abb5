import { strict as assert } from "assert";
import * as http from "http";
import * as net from "net";
import type { PulumiCommand } from "@pulumi/pulumi/automation";
import {
  missingCliMessage,
  obtainPulumiCli,
  probe,
  PulumiCliMissingError,
  type CliCommands,
} from "../../scripts/pulumiCli";

const FAKE = { command: "pulumi", version: null } as unknown as PulumiCommand;
const notFound = () =>
  Promise.reject(new Error("code: -2\n stderr: Command failed with ENOENT: pulumi version"));

/** Records which calls were made; each call answers as configured. */
function fakeCommands(answers: {
  path?: () => Promise<PulumiCommand>;
  root?: () => Promise<PulumiCommand>;
  install?: () => Promise<PulumiCommand>;
}): CliCommands & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    get(root) {
      calls.push(root ? `get ${root}` : "get PATH");
      return (root ? (answers.root ?? notFound) : (answers.path ?? notFound))();
    },
    install(root) {
      calls.push(`install ${root}`);
      return (answers.install ?? (() => Promise.resolve(FAKE)))();
    },
  };
}

async function withServer(handler: http.RequestListener, run: (url: string) => Promise<void>): Promise<void> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    await run(`http://127.0.0.1:${(server.address() as net.AddressInfo).port}/install.sh`);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

async function closedUrl(): Promise<string> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}/install.sh`;
}

describe("scripts/pulumiCli", () => {
  describe("obtainPulumiCli", () => {
    it("returns the CLI on PATH without looking further when it works", async () => {
      const commands = fakeCommands({ path: () => Promise.resolve(FAKE) });
      assert.equal(await obtainPulumiCli({ commands, installRoot: "/r" }), FAKE);
      assert.deepEqual(commands.calls, ["get PATH"]);
    });

    it("returns an earlier automatic install when PATH has none", async () => {
      const commands = fakeCommands({ root: () => Promise.resolve(FAKE) });
      assert.equal(await obtainPulumiCli({ commands, installRoot: "/r" }), FAKE);
      assert.deepEqual(commands.calls, ["get PATH", "get /r"]);
    });

    it("fails without probing or installing when installing is turned off", async () => {
      const commands = fakeCommands({});
      await assert.rejects(
        obtainPulumiCli({ commands, installRoot: "/r", allowInstall: false }),
        (err: Error) => {
          assert.ok(err instanceof PulumiCliMissingError);
          assert.match(
            err.message.replace(/\s+/g, " "),
            /no `pulumi` command on your PATH; automatic installation/,
          );
          return true;
        },
      );
      assert.deepEqual(commands.calls, ["get PATH", "get /r"]);
    });

    it("fails fast without installing when the download host is unreachable", async () => {
      const commands = fakeCommands({});
      const started = Date.now();
      await assert.rejects(
        obtainPulumiCli({ commands, installRoot: "/r", probeUrl: await closedUrl() }),
        (err: Error) =>
          err instanceof PulumiCliMissingError &&
          /unreachable \(ECONNREFUSED: connection refused\)/.test(err.message.replace(/\s+/g, " ")),
      );
      assert.ok(Date.now() - started < 5_000);
      assert.ok(!commands.calls.some((c) => c.startsWith("install")));
    });

    it("installs into the install root when the download host answers", async () => {
      const commands = fakeCommands({});
      const lines: string[] = [];
      await withServer(
        (_req, res) => res.end(),
        async (url) => {
          const cli = await obtainPulumiCli({
            commands,
            installRoot: "/r",
            probeUrl: url,
            log: (l) => lines.push(l),
          });
          assert.equal(cli, FAKE);
        },
      );
      assert.deepEqual(commands.calls, ["get PATH", "get /r", "install /r"]);
      assert.match(lines.join("\n"), /Installing the Pulumi CLI .* into \/r \(at most 60 s\)/);
    });

    it("gives up with the explanation when the install does not finish in time", async () => {
      const commands = fakeCommands({ install: () => new Promise<PulumiCommand>(() => undefined) });
      await withServer(
        (_req, res) => res.end(),
        async (url) => {
          await assert.rejects(
            obtainPulumiCli({ commands, installRoot: "/r", probeUrl: url, installTimeoutMs: 50 }),
            (err: Error) =>
              err instanceof PulumiCliMissingError && /did not finish in time/.test(err.message),
          );
        },
      );
    });

    it("reports why a CLI on PATH was rejected, such as a too old version", async () => {
      const commands = fakeCommands({
        path: () => Promise.reject(new Error("Minimum version requirement failed. The minimum is 3.200.0")),
      });
      await assert.rejects(
        obtainPulumiCli({ commands, installRoot: "/r", allowInstall: false }),
        (err: Error) =>
          /`pulumi` on your PATH: Minimum version requirement failed/.test(err.message.replace(/\s+/g, " ")),
      );
    });
  });

  describe("probe", () => {
    it("returns undefined when the URL answers", async () => {
      await withServer(
        (_req, res) => res.end(),
        async (url) => assert.equal(await probe(url, 2_000), undefined),
      );
    });

    it("returns a reason when nothing answers within the deadline", async () => {
      await withServer(
        () => undefined, // never answers
        async (url) => assert.equal(await probe(url, 100), "no answer within 100 ms"),
      );
    });
  });

  describe("missingCliMessage", () => {
    it("is one paragraph of lines at most 100 wide, with the install commands unbroken", () => {
      const message = missingCliMessage([
        "no `pulumi` command on your PATH",
        "get.pulumi.com is unreachable",
      ]);
      assert.doesNotMatch(message, /\n\s*\n/);
      for (const line of message.split("\n")) assert.ok(line.length <= 100, line);
      assert.ok(message.includes("`curl -fsSL https://get.pulumi.com | sh`"));
      assert.match(
        message.replace(/\s+/g, " "),
        /\(no `pulumi` command on your PATH; get\.pulumi\.com is unreachable\)/,
      );
    });
  });
});
