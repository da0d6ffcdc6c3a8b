import { mailAdapters } from '../office/mail-adapters';
import { startPane } from '../ui/start';
import { OutlookApp } from './OutlookApp';

void startPane(mailAdapters, () => <OutlookApp />);
