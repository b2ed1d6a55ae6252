export declare function revision(): { commit: string; dirty: boolean };
export declare function revisionText(r?: { commit: string; dirty: boolean }): string;
