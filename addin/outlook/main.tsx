import { startPane } from '../ui/start';
import { OutlookApp } from './OutlookApp';

void startPane('outlook', () => <OutlookApp />);
