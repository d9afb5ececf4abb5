/**
 * What one benchmark run measured. Its own module so that the runner (which produces it) and the report
 * (which renders it) both depend on it instead of on each other.
 */
import type { UploadFloor } from "./floors";
import type { SdkControl, StateSize } from "./footprint";
import type { Background, MachineInfo } from "./machine";
import type { RunPlan } from "./params";
import type { PlanResult } from "./plan";
import type { ScenarioResult } from "./realEngine";
import type { RefreshResult } from "./refresh";
import type { BaselineUpload, OursUpload } from "./upload";

/** Everything one run measured (also what `--json` saves and `--render-from` reads). */
export interface Results {
  plan: RunPlan;
  machine: MachineInfo;
  background: Record<string, Background>;
  uploads: Array<{ count: number; runs: OursUpload[]; floor: UploadFloor }>;
  baselines: BaselineUpload[];
  refresh: RefreshResult & { floorMs: number; floorRateMs: number; pages: number; minPageMs: number };
  refreshLatency: RefreshResult & { injectedMs: number };
  planResult: PlanResult;
  state: StateSize;
  control: SdkControl;
  /** Through the real `pulumi` CLI (absent in results saved before it was measured). */
  realEngine?: ScenarioResult[];
  skipped: string[];
  startedAt: number;
  finishedAt: number;
}
