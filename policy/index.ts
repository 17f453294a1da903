// The kong-cognito policy pack: `pulumi preview --policy-pack <path to this folder>`.
import { PolicyPack } from "@pulumi/policy";
import { policies } from "./policies";

new PolicyPack("kong-cognito", { policies });
