// What a component keeps for TypeScript callers only. A component class's fields are its outputs in
// the package schema every other language reads (PulumiPlugin.yaml), and the SDK's analyzer takes
// only plain data there: no resource objects of other packages, no union types. Child resources
// and discriminated unions of them therefore live here, and getters (which the analyzer skips)
// read them.

export class TypeScriptOnly<C extends object, T> {
    private readonly values = new WeakMap<C, T>();

    constructor(private readonly component: string) {}

    set(owner: C, value: T): void {
        this.values.set(owner, value);
    }

    get(owner: C): T {
        const value = this.values.get(owner);
        if (value === undefined) {
            throw new Error(`${this.component}: its resources are known once its constructor has finished`);
        }
        return value;
    }
}
