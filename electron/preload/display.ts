import { exposePosApi } from './exposePosApi';

// The customer display may read its display state and hear it change; nothing else exists here.
exposePosApi('display');
