// kong-cognito/testing: unit-test code that uses the components on Pulumi's mock runtime.
//
//   import { setKongCognitoMocks, valueOf } from "kong-cognito/testing";
//   before(() => setKongCognitoMocks());
//   it("...", async () => expect(await valueOf(idp.issuerUrl)).to.match(/^https:\/\/cognito-idp\./));
export { PROVIDER_OUTPUTS, ProviderOutput, MissingProviderOutputError } from "../components/providerOutputs";
export {
    kongCognitoMocks,
    KongCognitoMocksOptions,
    MOCK_ACCOUNT_ID,
    setKongCognitoMocks,
    SetKongCognitoMocksOptions,
    valueOf,
} from "./mocks";
