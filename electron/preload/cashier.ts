import { exposePosApi } from './exposePosApi';

exposePosApi('cashier');
