import { describe, expect, it } from "vitest";
import { weightChanges } from "./Weights";

const data = { weights: { award: 0.5, promotion: 1.2, new_job: 1 }, defaults: { award: 0.8, promotion: 1.2, new_job: 1 }, overrides: { award: 0.5 } };

describe("weightChanges", () => {
  it("sends new overrides, null for removed ones, nothing for unchanged ones", () => {
    expect(weightChanges(data, { award: "", promotion: "1.5", new_job: "" })).toEqual({ changes: { award: null, promotion: 1.5 }, errors: {} });
    expect(weightChanges(data, { award: "0.5" })).toEqual({ changes: {}, errors: {} });
  });

  it("refuses weights outside what the API accepts", () => {
    expect(weightChanges(data, { award: "0.5", promotion: "4", new_job: "x" }).errors).toEqual({ promotion: "A number from 0 to 3.", new_job: "A number from 0 to 3." });
  });
});
